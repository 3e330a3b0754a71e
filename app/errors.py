"""Dutch messages for invalid input: what is wrong and what to do instead."""
import re
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel

from app.taal import N_

_FIELD_RE = re.compile(r"^([a-z_][a-z0-9_]*|[0-9]+)$")

FIELD_NAMES = {
    "page": "pagina", "per_page": "aantal per pagina", "lat": "breedtegraad (lat)", "lon": "lengtegraad (lon)",
    "proximity": "afstand (proximity)", "postcode": "postcode", "thema": "thema", "laag": "laag",
}


class Bericht(BaseModel):
    detail: str


class FoutVeld(BaseModel):
    loc: list[str]
    veld: str
    msg: str


# Every 422 of the API: one message per field (dutch_validation_errors, InputError, the data layer's checks).
class Fouten(BaseModel):
    detail: list[FoutVeld]


def fout(status: int, description: str) -> dict:
    """An error answer for a route's `responses=`: the OpenAPI then documents its body too."""
    return {status: {"description": description, "model": Fouten if status == 422 else Bericht}}


class InputError(ValueError):
    """Input we cannot use, with the field it belongs to and a Dutch message that says what to do."""

    def __init__(self, field: str, message: str, where: str = "query") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.where = where  # "query", "path" or "body", as in FastAPI's own error locations


def _message(err: dict[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    kind = err.get("type", "")
    if kind == "missing":
        return "Dit veld is verplicht. Vul het in."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "Vul een heel getal in, bijvoorbeeld 1."
    if kind in ("float_parsing", "float_type"):
        return "Vul een getal in met een punt, bijvoorbeeld 52.26 (lat) of 6.79 (lon)."
    if kind in ("bool_parsing", "bool_type"):
        return "Vul true of false in."
    if kind == "greater_than_equal":
        return f"Vul een getal in van {ctx.get('ge')} of hoger."
    if kind == "greater_than":
        return f"Vul een getal in dat groter is dan {ctx.get('gt')}."
    if kind == "less_than_equal":
        return f"Vul een getal in van {ctx.get('le')} of lager."
    if kind == "less_than":
        return f"Vul een getal in dat kleiner is dan {ctx.get('lt')}."
    if kind in ("literal_error", "enum"):
        return f"Kies een van deze waarden: {str(ctx.get('expected', '')).replace(' or ', ' of ')}."
    if kind == "string_pattern_mismatch":
        return "Dit heeft niet de goede vorm. Kijk in de API-documentatie hoe het moet."
    if kind == "string_too_long":
        return f"Dit is te lang. Gebruik hoogstens {ctx.get('max_length')} tekens."
    if kind in ("datetime_parsing", "datetime_from_date_parsing", "date_parsing", "date_from_datetime_parsing",
                "datetime_type", "date_type"):
        return "Vul een datum in zoals 2026-01-31 of 2026-01-31T09:00:00Z."
    if kind in ("list_type", "dict_type", "model_attributes_type", "json_invalid"):
        return "De vorm van de gegevens klopt niet. Kijk in de API-documentatie hoe het moet."
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg", "")))
    return "Deze waarde klopt niet. Kijk in de API-documentatie wat hier mag."


def dutch_validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for err in errors:
        # Union members add tags like "constrained-int" or "literal[...]" to the location: not field names.
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path") and _FIELD_RE.match(str(x))]
        field = ".".join(loc)
        if field in seen:  # one message per field: the first says what to do
            continue
        seen.add(field)
        name = FIELD_NAMES.get(loc[-1], loc[-1]) if loc else "invoer"
        where = [x for x in err.get("loc", ())[:1] if x in ("body", "query", "path")]
        out.append({"loc": [*where, *loc], "veld": field, "msg": f"{name}: {_message(err)}"})
    return out


# The framework's own English phrases ("Not Found", "Method Not Allowed", ...) in Dutch, with what to do next.
# N_: the API answers them in Dutch; the error pages translate them where they are shown (templates/fout.html).
STANDAARD_MELDINGEN = {
    400: N_("Dit verzoek kunnen we niet lezen. Kijk of alles goed is ingevuld en probeer het opnieuw."),
    401: N_("U moet eerst inloggen."),
    403: N_("Dit mag u niet bekijken of doen."),
    404: N_("Deze pagina of dit adres bestaat niet. Kijk in de API-documentatie (/api/v1/docs) welke adressen er "
            "zijn."),
    405: N_("Deze methode kan hier niet. Kijk in de API-documentatie (/api/v1/docs) wat wel kan."),
    406: N_("Deze vorm van antwoord kunnen we niet geven. Vraag om JSON of HTML."),
    413: N_("Wat u stuurt is te groot. Stuur minder gegevens."),
    415: N_("Deze soort gegevens kunnen we niet lezen. Stuur JSON of een formulier."),
    429: N_("U stuurt te veel verzoeken. Wacht even en probeer het opnieuw."),
}

# Details the framework raises in English besides the status phrases.
ENGELSE_DETAILS = ("There was an error parsing the body",)


def dutch_detail(status: int, detail: object) -> object:
    """The Dutch message for a status when the detail is still the framework's English default phrase."""
    try:
        default = HTTPStatus(status).phrase
    except ValueError:
        return detail
    if detail in (None, "", default, *ENGELSE_DETAILS):
        return STANDAARD_MELDINGEN.get(status, "Er klopt iets niet met dit verzoek.")
    return detail


def documenteer_fouten(openapi: dict) -> dict:
    """The OpenAPI document as the app answers: FastAPI's own 422 schema (loc, msg, type) becomes the Dutch shape
    the validation handler sends (loc, veld, msg), and every operation with a body documents the 400 for a body
    it cannot read."""
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("ValidationError", None)
    schemas.pop("HTTPValidationError", None)
    for model in (Bericht, FoutVeld, Fouten):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schema.pop("$defs", None)  # FoutVeld is a component of its own
        schemas.setdefault(model.__name__, schema)
    fouten = {"$ref": "#/components/schemas/Fouten"}
    for ops in openapi.get("paths", {}).values():
        for op in ops.values():
            for answer in op.get("responses", {}).values():
                for content in answer.get("content", {}).values():
                    if content.get("schema") == {"$ref": "#/components/schemas/HTTPValidationError"}:
                        content["schema"] = fouten
            if "428" in op["responses"]:
                _if_match_verplicht(op)
            if "requestBody" in op:
                op["responses"].setdefault("400", {
                    "description": STANDAARD_MELDINGEN[400],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Bericht"}}}})
    return openapi


def _if_match_verplicht(op: dict) -> None:
    """An operation that answers 428 (Precondition Required) needs If-Match: the route checks it itself, to answer
    428 with what to do instead of a 422, so FastAPI documents the header as optional."""
    for p in op.get("parameters", []):
        if p["in"] == "header" and p["name"].lower() == "if-match":
            p["required"] = True
            p["schema"] = {"type": "string", "minLength": 1, "description": p["schema"].get("description", "")}
