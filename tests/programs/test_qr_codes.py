"""The check-in code a member is shown is a standard QR symbol (decoded with a real decoder)."""

import zxingcpp

from programs import services

from ..core.test_qr import decode


def test_registration_code_served_to_the_member_decodes(client, make_program, make_member):
    program = make_program(places=[3], enrolment="series")
    member = make_member()
    registration = services.register(member, program)
    client.force_login(member)
    for url in (f"/api/v3/programs/registrations/{registration.pk}/qr.svg?format=png",
                f"/programs/registrations/{registration.pk}/qr.svg?format=png"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        result, _ = decode(response.content)
        assert result.text == registration.check_in_code
        assert result.format == zxingcpp.BarcodeFormat.QRCode
