"""Keep the cached slot menus (canteen.menus) in step with what editors change."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from canteen import menus
from canteen.models import Dish, MealSlot, MenuItem, SetMeal


@receiver([post_save, post_delete], sender=MenuItem)
def menu_item_changed(sender, instance, **kwargs):
    menus.bump_slots(MealSlot.objects.filter(pk=instance.slot_id))


@receiver([post_save, post_delete], sender=Dish)
def dish_changed(sender, instance, **kwargs):
    menus.bump_for_dishes([instance.pk])


@receiver(post_save, sender=SetMeal)
def set_meal_changed(sender, instance, **kwargs):
    menus.bump_slots(MealSlot.objects.filter(items__set_meal=instance))


@receiver(m2m_changed, sender=SetMeal.dishes.through)
def set_meal_dishes_changed(sender, instance, **kwargs):
    if kwargs.get("action", "").startswith("post_") and isinstance(instance, SetMeal):
        menus.bump_slots(MealSlot.objects.filter(items__set_meal=instance))


def image_changed(sender, instance, **kwargs):
    dish_ids = list(Dish.objects.filter(photo=instance).values_list("pk", flat=True))
    if dish_ids:
        menus.bump_for_dishes(dish_ids)


def connect_images():
    from wagtail.images import get_image_model

    post_save.connect(image_changed, sender=get_image_model(), dispatch_uid="canteen-image-changed")
