"""The one data layer that writes: every change of listing data, accounts and reports goes through here.

- core.py: the transaction (`schrijf`), who made the change (`Wie`), the audit row, last_modified and the one
  data version that every cache and the search index follow; soft delete and restore.
- aanbod.py: organisations, services, locations and where a service is offered (beheer, import, seed).
- accounts.py: people, tokens and sessions. meldingen.py: residents' reports.

Routes and commands never commit listing data themselves.
"""
