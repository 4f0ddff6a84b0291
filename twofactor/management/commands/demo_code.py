import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from twofactor.demo import demo_code, demo_secret_grouped


class Command(BaseCommand):
    help = "Print the demo users' current sign-in code (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code prints the demo users' sign-in code only with DEBUG on.")
        left = 30 - int(time.time()) % 30
        secret = demo_secret_grouped()
        self.stdout.write(f"{demo_code()}  (for {left} more seconds; secret {secret})")
