from fastapi import APIRouter, HTTPException
from sqlmodel import select

from app import hsds
from app.api.deps import PagingDep, SessionDep
from app.errors import fout
from app.models import Taxonomy, TaxonomyTerm

router = APIRouter(tags=["taxonomies"])


def _taxonomy(t: Taxonomy) -> dict:
    return {"id": t.id, "name": t.name, "description": t.description}


@router.get("/taxonomies")
def read_taxonomies(session: SessionDep, paging: PagingDep) -> dict:
    rows = session.exec(select(Taxonomy).order_by(Taxonomy.name)).all()
    return hsds.page([_taxonomy(t) for t in paging.slice(list(rows))], len(rows), paging.page, paging.per_page)


@router.get("/taxonomies/{taxonomy_id}", responses=fout(404, "Deze taxonomie bestaat niet."))
def read_taxonomy(session: SessionDep, taxonomy_id: str) -> dict:
    t = session.get(Taxonomy, taxonomy_id)
    if t is None:
        raise HTTPException(404, "Deze taxonomie bestaat niet. Zie de lijst op /api/v1/taxonomies.")
    return _taxonomy(t)


@router.get("/taxonomy_terms")
def read_taxonomy_terms(session: SessionDep, paging: PagingDep, taxonomy_id: str | None = None) -> dict:
    stmt = select(TaxonomyTerm, Taxonomy.name).join(Taxonomy).order_by(Taxonomy.name, TaxonomyTerm.code)
    if taxonomy_id:
        stmt = stmt.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    rows = session.exec(stmt).all()
    contents = [hsds.taxonomy_term(t, name) for t, name in paging.slice(list(rows))]
    return hsds.page(contents, len(rows), paging.page, paging.per_page)


@router.get("/taxonomy_terms/{term_id}", responses=fout(404, "Deze term bestaat niet."))
def read_taxonomy_term(session: SessionDep, term_id: str) -> dict:
    row = session.exec(select(TaxonomyTerm, Taxonomy.name).join(Taxonomy).where(TaxonomyTerm.id == term_id)).first()
    if row is None:
        raise HTTPException(404, "Deze term bestaat niet. Zie de lijst op /api/v1/taxonomy_terms.")
    return hsds.taxonomy_term(*row)
