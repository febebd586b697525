"""The staff role this plugin brings (declared in apps.py, asked by services)."""

COORDINATORS = "Volunteer coordinators"
