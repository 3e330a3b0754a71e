"""The beheer edit forms: from an object (as app/data/aanbod.toon shows it) to form fields, from the posted form to
the data app/data/aanbod.py takes, and its errors back to the field they belong to.

A form posts flat names ("phones-0-number", "schedules-1-byday"); the admin API takes nested HSDS JSON
("phones[0].number"). Keeping that translation here lets the pages use exactly the API's validation.
"""
from collections.abc import Mapping

from app import gesproken, hours, taal, validatie

LEGE_RIJEN = 2  # empty rows under the filled ones, for a new phone number or opening time without JavaScript
STATUS = {"active": "Actief: inwoners zien het", "temporarily closed": "Tijdelijk gesloten: inwoners zien het, met die melding",
          "inactive": "Niet actief: inwoners zien het niet", "defunct": "Gestopt: inwoners zien het niet"}
LOCATIE_SOORT = {"physical": "Een gebouw of plek waar je heen kunt", "virtual": "Alleen online of telefonisch",
                 "postal": "Alleen een postadres"}
DAGEN = dict(zip(validatie.DAGEN, hours.DAGEN, strict=True))
VELDEN = {
    "organization": ("name", "description", "email", "website"),
    "service": ("organization_id", "name", "description", "status", "laag", "url", "email", "bron_url"),
    "location": ("organization_id", "name", "location_type", "description", "latitude", "longitude"),
}
TELEFOON = ("number", "description")
TIJD = ("byday", "opens_at", "closes_at", "description", "valid_from", "valid_to", "notes")
ADRES = ("address_1", "postal_code", "city")
TAAL = ("code", "name", "note")  # a language spoken that is not one of app/taal.py TALEN (those are ticked)


def _tekst(waarde) -> str:
    if waarde is None:
        return ""
    text = str(waarde)
    return text[:5] if len(text) == 8 and text[2] == ":" else text  # "09:00:00" -> "09:00"


def naar_velden(soort: str, beeld: dict | None) -> dict:
    """The form's values for this object (empty for a new one): flat names, text values, lists for choices."""
    beeld = beeld or {}
    velden = {k: _tekst(beeld.get(k)) for k in VELDEN[soort]}
    if soort == "service":
        termen = [a["taxonomy_term"] for a in beeld.get("attributes", []) if a.get("taxonomy_term")]
        velden["themas"] = [t["code"] for t in termen if t["taxonomy"] == "thema"]
        velden["laag"] = next((t["code"] for t in termen if t["taxonomy"] == "laag"), "")
        talen = beeld.get("languages") or []
        velden["talen"] = [x["code"] for x in talen if x["code"] in taal.TALEN]
        # The note of a ticked language has no field of its own: carried in a hidden one, so a save keeps it.
        velden |= {f"talen-{x['code']}-note": x.get("note") or "" for x in talen if x["code"] in taal.TALEN}
        velden |= _rijen("languages", TAAL, [x for x in talen if x["code"] not in taal.TALEN])
        vertalingen = beeld.get("vertalingen") or {}
        velden |= {f"vertalingen-{code}-{veld}": vertalingen.get(code, {}).get(veld, "")
                   for code in taal.VERTAALD for veld in gesproken.VERTAALBAAR}
    if soort == "location":
        adres = (beeld.get("addresses") or [{}])[0]
        velden |= {f"address-{k}": _tekst(adres.get(k)) for k in ADRES}
        velden["accessibility"] = " ".join(a.get("description", "") for a in beeld.get("accessibility") or [])
        if beeld.get("plaatsing") != "exact":
            velden["latitude"] = velden["longitude"] = ""  # only an exact point is the editor's to change
    if soort != "organization":
        velden |= _rijen("phones", TELEFOON, beeld.get("phones") or [])
        velden |= _rijen("schedules", TIJD, [_met_dagen(s) for s in beeld.get("schedules") or []])
    return velden


def _met_dagen(schedule: dict) -> dict:
    return {**schedule, "byday": [d for d in (schedule.get("byday") or "").split(",") if d]}


def _rijen(naam: str, kolommen: tuple[str, ...], rijen: list[dict]) -> dict:
    out = {f"{naam}-aantal": len(rijen) + LEGE_RIJEN}
    for i, rij in enumerate([*rijen, *([{}] * LEGE_RIJEN)]):
        for k in kolommen:
            waarde = rij.get(k)
            out[f"{naam}-{i}-{k}"] = waarde if isinstance(waarde, list) else _tekst(waarde)
    return out


def uit_formulier(soort: str, form: Mapping, getlist) -> dict:
    """The posted form as the data app/data/aanbod.py takes: every field of the form (so an emptied field is
    emptied), nested rows without the empty ones. `getlist(name)` gives all values of a repeated field."""
    data: dict = {k: (form.get(k) or "").strip() for k in VELDEN[soort]}
    for k in ("email", "website", "url", "bron_url", "organization_id"):
        if k in data and not data[k]:
            data[k] = None
    if soort == "service":
        data["themas"] = [t for t in getlist("themas") if t]
        # The other languages first, so languages[i] of an error is row i of the form, as with phones.
        data["languages"] = [{**x, "name": x["name"] or None} for x in _lees_rijen(form, getlist, "languages", TAAL)]
        data["languages"] += [{"code": c, "note": (form.get(f"talen-{c}-note") or "").strip()}
                              for c in dict.fromkeys(getlist("talen")) if c]
        data["vertalingen"] = {code: {veld: (form.get(f"vertalingen-{code}-{veld}") or "").strip()
                                      for veld in gesproken.VERTAALBAAR} for code in taal.VERTAALD}
    if soort == "location":
        for k in ("latitude", "longitude"):
            data[k] = _getal(data[k])
        data["accessibility"] = (form.get("accessibility") or "").strip()
        adres = {k: (form.get(f"address-{k}") or "").strip() for k in ADRES}
        # The city is filled in beforehand, so only a street or a postcode makes an address.
        data["addresses"] = ([{**adres, "city": adres["city"] or "Hengelo"}]
                             if adres["address_1"] or adres["postal_code"] else [])
    if soort != "organization":
        data["phones"] = _lees_rijen(form, getlist, "phones", TELEFOON)
        data["schedules"] = _lees_rijen(form, getlist, "schedules", TIJD)
        for s in data["schedules"]:
            s["byday"] = ",".join(s["byday"]) or None
            s["notes"] = s["notes"] or None
            for k in ("opens_at", "closes_at", "valid_from", "valid_to"):
                s[k] = s[k] or None
    return data


def _getal(text: str):
    # Left as typed when it is not a number, so the API's check names the field; a comma is a Dutch decimal.
    try:
        return float(text.replace(",", ".")) if text else None
    except ValueError:
        return text


def _lees_rijen(form: Mapping, getlist, naam: str, kolommen: tuple[str, ...]) -> list[dict]:
    try:
        aantal = min(int(form.get(f"{naam}-aantal") or 0), 60)
    except ValueError:
        aantal = 0
    rijen = []
    for i in range(aantal):
        rij = {k: ([d for d in getlist(f"{naam}-{i}-{k}") if d] if k == "byday"
                   else (form.get(f"{naam}-{i}-{k}") or "").strip()) for k in kolommen}
        if any(rij.values()):
            rijen.append(rij)
    return rijen


def veld_id(veld: str) -> str:
    """The API's field name as the form's: "phones[0].number" -> "phones-0-number", "addresses[0].city" ->
    "address-city". Errors of rows after an empty row shift: rows are numbered as sent, empty ones left out,
    so the form numbers them the same way when it is shown again (velden_na_fout)."""
    veld = veld.replace("addresses[0].", "address-").replace("].", "-").replace("[", "-").replace("]", "")
    return veld.replace(".", "-") or "name"


def velden_na_fout(soort: str, data: dict) -> dict:
    """The form's values from what was posted, after a refusal: nothing typed is lost, rows numbered as sent."""
    beeld = dict(data)
    if soort == "service":
        beeld["attributes"] = [{"taxonomy_term": {"code": c, "taxonomy": "thema"}} for c in data.get("themas", [])]
        beeld["attributes"].append({"taxonomy_term": {"code": data.get("laag"), "taxonomy": "laag"}})
    if soort == "location":
        beeld["plaatsing"] = "exact"
        beeld["accessibility"] = [{"description": data.get("accessibility", "")}]
    velden = naar_velden(soort, beeld)
    if soort == "location" and not data.get("addresses"):
        velden["address-postal_code"] = velden["address-city"] = ""
    return velden


def fouten_bij_velden(fouten: list[dict]) -> list[dict]:
    """aanbod's errors [{veld, msg}] as the templates' [{veld: the field's id, tekst}]."""
    return [{"veld": veld_id(f["veld"]), "tekst": f["msg"]} for f in fouten]
