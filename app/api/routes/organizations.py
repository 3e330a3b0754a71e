from fastapi import APIRouter, HTTPException
from sqlalchemy import func
from sqlmodel import select

from app import hsds
from app.api.deps import PagingDep, SessionDep
from app.errors import fout
from app.listings import load_services
from app.models import Organization, Service, zichtbare_organisatie

router = APIRouter(prefix="/organizations", tags=["organizations"])


@router.get("")
def read_organizations(session: SessionDep, paging: PagingDep) -> dict:
    total = session.exec(select(func.count()).select_from(Organization).where(zichtbare_organisatie())).one()
    rows = session.exec(
        select(Organization).where(zichtbare_organisatie()).order_by(Organization.name)
        .offset((paging.page - 1) * paging.per_page).limit(paging.per_page)
    ).all()
    return hsds.page([hsds.organization(o) for o in rows], total, paging.page, paging.per_page)


@router.get("/{organization_id}", responses=fout(404, "Deze organisatie bestaat niet (meer)."))
def read_organization(session: SessionDep, organization_id: str) -> dict:
    org = session.get(Organization, organization_id)
    if org is None or org.verwijderd:
        raise HTTPException(404, "Deze organisatie bestaat niet (meer). Zie de lijst op /api/v1/organizations.")
    ids = session.exec(select(Service.id).where(Service.organization_id == org.id).order_by(Service.name)).all()
    return hsds.organization(org) | {"services": [hsds.service(v) for v in load_services(session, ids)]}
