"""Reports for tests: categories with questions, communities with centres, grid workers, photos
with EXIF and GPS in them (as a phone writes them), and reports in a given state."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Community
from reports.models import Category, Question
from tests.factories import CommunityFactory, UserFactory, staff_user

_n = itertools.count(1)
#: 荷花社区's centre in the demo, and a rider 50 m north of it.
HEHUA = (30.274180, 120.155070)


def north(point, metres):
    return point[0] + metres / 111_195.0, point[1]


def community_at(lat, lng, **kwargs):
    return CommunityFactory(latitude=f"{lat:.6f}", longitude=f"{lng:.6f}", **kwargs)


def grid_worker(community: Community, **kwargs):
    user = staff_user("Grid workers", **kwargs)
    community.grid_workers.add(user)
    return user


def command_centre(**kwargs):
    return staff_user("Command centre", **kwargs)


def make_category(code=None, *, questions=(), **fields):
    n = next(_n)
    defaults = {"name": f"测试分类{n}", "deadline_working_days": 5, "photo_required": False}
    defaults.update(fields)
    category = Category.objects.create(code=code or f"test-cat-{n}", **defaults)
    for i, (q_code, label, datatype, required, choices) in enumerate(questions):
        Question.objects.create(category=category, code=q_code, label=label, datatype=datatype, required=required,
                                choices=choices, sort_order=i)
    return category


def ground_lock_category():
    return make_category("ground-lock", name="私装地锁占车位", photo_required=True, deadline_working_days=5,
                         department="城管中队", questions=[
                             ("count", "有几个地锁", "number", True, ""),
                             ("locked", "地锁是否锁着", "singlevaluelist", False, "yes|是\nno|否")])


def phone_photo(name="lock.jpg", size=(640, 480), colour=(180, 40, 40)):
    """A JPEG as a phone camera writes it: with the make, the time and the GPS position in EXIF."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"          # Make
    exif[0x0110] = "Model X"             # Model
    exif[0x0132] = "2026:12:01 09:30:00"  # DateTime
    gps = {1: "N", 2: (30.0, 16.0, 27.0), 3: "E", 4: (120.0, 9.0, 18.0)}
    exif[0x8825] = gps                   # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the test photo must carry GPS"
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def rider(community=None, **kwargs):
    return UserFactory(community=community, **kwargs)
