from fastapi import APIRouter

from app.api.routes import (
    beheer,
    contact,
    locations,
    meldingen,
    organizations,
    postcodes,
    root,
    service_at_locations,
    services,
    statistiek,
    taxonomies,
    uitwisseling,
    vraagwijzer,
    wijken,
)

api_router = APIRouter()
for module in (root, services, organizations, service_at_locations, locations, taxonomies, wijken, postcodes,
               vraagwijzer, contact, meldingen, beheer, statistiek, uitwisseling):
    api_router.include_router(module.router)
api_router.include_router(contact.beheer_router)
