from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionsConfig(AppConfig):
    name = "commonground.coalitions"
    label = "coalitions"
    verbose_name = _("Coalitions")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from commonground.coalitions import (  # noqa: F401  (activity and roadmap_steps register)
            activity,
            audit_guard,
            data_version,
            nav,
            rls,
            roadmap_steps,
        )

        post_migrate.connect(audit_guard.ensure_after_migrate, sender=self)
        # Row-level security: policies after every migrate (any app may add tenant tables),
        # and the tenant setting sent with every query on PostgreSQL.
        post_migrate.connect(rls.ensure_after_migrate, sender=self)
        connection_created.connect(rls.on_connection_created)
        # Every write changes its coalition's data version (caches across requests).
        connection_created.connect(data_version.on_connection_created)
        pre_migrate.connect(data_version.before_migrate)
        post_migrate.connect(data_version.after_migrate)
        nav.register(_("Roadmap"), "coalitions:home", order=0)
        nav.register(_("Profile"), "coalitions:profile", order=80)
        nav.register(_("Members"), "coalitions:members", order=90)
        nav.register(_("Activity log"), "coalitions:audit", order=100, roles=["backbone_admin"])
