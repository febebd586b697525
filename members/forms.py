from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "kind", "community"]
        labels = {"display_name": _("Name shown to staff")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in User.Kind.choices if c[0] != User.Kind.STAFF]


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand that my account and my records will be deleted."))
