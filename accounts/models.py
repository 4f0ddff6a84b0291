from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    STAFF = "staff", "Staff"
    OFFICER = "officer", "Housing officer"
    MANAGER = "manager", "Manager"
    PANEL = "panel", "Housing panel member"
    ORG_ADMIN = "org_admin", "Organisation admin"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in to Haven. Signs in by e-mail address.

    ``is_staff`` here is Django's flag for the admin site, not the Haven "staff" role: roles
    are held per organisation through ``Membership``.
    """

    email = models.EmailField("e-mail address", unique=True)
    # The account's own name, the same in every organisation it works for. A job title is
    # per organisation (``JobTitle``): one organisation's admin never changes what another
    # sees.
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    # Set when an organisation took away the account's last role (``member_deactivate``):
    # only that organisation may reactivate it by adding it again. Empty for an account a
    # platform administrator deactivated, which only they can reactivate.
    deactivated_by_organisation = models.ForeignKey(
        "Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_staff = models.BooleanField("may use the admin site", default=False)
    # When an organisation admin last reset this account's second factor: a session verified
    # before then is signed out, and a remembered device from before then is forgotten.
    second_factor_reset_at = models.DateTimeField(null=True, blank=True, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(models.Model):
    """A landlord: a group or one of its partners. Every record in Haven belongs to one."""

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "Two to six capital letters.")],
        help_text="Short code used in case references, e.g. WCH-2026-00042.",
    )
    homes_owned = models.PositiveIntegerField(
        default=0, help_text="Homes owned, for per-1,000-homes monitoring (NM01)."
    )
    group = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
        help_text="The group this organisation is a partner of, if any.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A patch within an organisation, used to assign cases and find hotspots."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="area_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One role a user holds in one organisation. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    areas = models.ManyToManyField(
        Area, blank=True, related_name="memberships", help_text="Patches this officer covers."
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Who gave or took away a role, when and why (accounts.services.members). Areas are
    # many-to-many and not snapshotted: a change of areas is a history row whose reason
    # names them, so the reason is text of any length.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation.code}"


class JobTitle(models.Model):
    """A member's job title in one organisation, set by that organisation's admins."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="job_titles"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="job_titles")
    title = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="job_title_one_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.title
