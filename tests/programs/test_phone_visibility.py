"""Registrants' phones: in full only for staff who phone people, masked for everyone else, the same
on the attendance page, its CSV and Excel exports, the admin's registration export and the API.

Before: the API masked them while the page and both exports showed every number in full."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from openpyxl import load_workbook

from programs import services
from tests.factories import UserFactory, logged_in_client

pytestmark = pytest.mark.django_db

FULL, MASKED = "+8613812345678", "138****5678"


@pytest.fixture
def session_with_caller(make_program, program_staff):
    program = make_program(days=0, places=[5])
    session = program.session_list[0]
    member = UserFactory(display_name="钱阿婆", phone=FULL)
    services.register_on_behalf(program_staff, member, program, session)
    return session


def streamed(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def everything_shown(client, session):
    """The phone text of the page, both exports, the admin export and the API, as one string each."""
    base = f"/programs/staff/sessions/{session.pk}"
    page = client.get(f"{base}/attendance/")
    csv = client.get(f"{base}/attendance.csv")
    xlsx = client.get(f"{base}/attendance.xlsx")
    api = client.get(f"/api/v3/programs/sessions/{session.pk}/attendance/")
    admin = client.get("/admin/program_registrations/", {"export": "csv"})
    for response in (page, csv, xlsx, api, admin):
        assert response.status_code == 200, (response.request["PATH_INFO"], response.status_code)
    cells = [str(c) for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
             for c in row]
    return {"page": page.content.decode(), "csv": csv.content.decode("utf-8-sig"), "xlsx": " ".join(cells),
            "api": api.json()[0]["phone"], "admin": streamed(admin)}


def test_program_staff_who_phone_people_see_whole_numbers(session_with_caller, program_staff):
    shown = everything_shown(logged_in_client(program_staff), session_with_caller)
    for where, text in shown.items():
        assert FULL in text, where


def test_without_the_phone_permission_every_view_masks_the_number(session_with_caller, program_staff):
    group = Group.objects.get(name="Program staff")
    group.permissions.remove(Permission.objects.get(codename="view_registrant_phone"))
    shown = everything_shown(logged_in_client(program_staff), session_with_caller)
    for where, text in shown.items():
        assert FULL not in text and "13812345678" not in text, where
        assert MASKED in text, where


def test_someone_allowed_to_read_registrations_exports_them_masked(session_with_caller):
    readers, _ = Group.objects.get_or_create(name="Registration readers")
    readers.permissions.set(Permission.objects.filter(codename__in=("access_admin", "view_registration")))
    reader = UserFactory(is_staff=True)
    reader.groups.add(readers)
    export = logged_in_client(reader).get("/admin/program_registrations/", {"export": "csv"})
    assert export.status_code == 200
    text = streamed(export)
    assert "钱阿婆" in text and MASKED in text and FULL not in text


def test_the_role_declares_the_phone_permission():
    from programs.roles import ROLES

    assert "programs.view_registrant_phone" in ROLES[0].permissions
    assert Group.objects.get(name="Program staff").permissions.filter(codename="view_registrant_phone").exists()
