"""Stations' coordinates: the helpers live once in core (core.geo), shared with other plugins."""

from core.geo import bounding_box, haversine_m, in_system, out_of_china, wgs84_to_gcj02

__all__ = ["bounding_box", "haversine_m", "in_system", "out_of_china", "wgs84_to_gcj02"]
