from django.urls import path

from canteen import views

app_name = "canteen"
urlpatterns = [
    path("", views.index, name="index"),
    path("my/", views.my_bookings, name="my_bookings"),
    path("diners/<int:diner_id>/", views.diner_profile, name="diner_profile"),
    path("book/<int:slot_id>/", views.book, name="book"),
    path("book/<int:slot_id>/for/<int:diner_id>/", views.book, name="book_for"),
    path("bookings/<int:booking_id>/change/", views.change_booking, name="change"),
    path("bookings/<int:booking_id>/cancel/", views.cancel_booking, name="cancel"),
    path("dishes/<int:dish_id>/feedback/", views.feedback, name="feedback"),
    path("staff/console/", views.console, name="console"),
    path("staff/slots/", views.slot_list, name="slots"),
    path("staff/slots/<int:slot_id>/production/", views.production, name="production"),
    path("staff/slots/<int:slot_id>/deliveries/", views.deliveries, name="slot_deliveries"),
    path("staff/slots/<int:slot_id>/counter/", views.counter, name="counter"),
    path("staff/slots/<int:slot_id>/assign/", views.assign_deliveries, name="assign"),
    path("bookings/<int:booking_id>/payment/", views.record_payment, name="record_payment"),
    path("staff/reports/", views.report, name="reports"),
    path("staff/feedback/", views.feedback_report, name="feedback_report"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alerts, name="alert"),
    path("deliveries/<int:delivery_id>/record/", views.record_delivery, name="record_delivery"),
    path("<slug:slug>/", views.canteen_page, name="canteen"),
    path("<slug:slug>/board/", views.board, name="board"),
]
