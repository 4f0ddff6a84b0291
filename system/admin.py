from django.contrib import admin

from .models import SchedulerHeartbeat

admin.site.register(SchedulerHeartbeat)
