"""``manage.py bench``: the officers' pages and the dashboard measured at volume.

``volume`` prepares the data (``seed_volume``, the deadlines the targets assume, the busy
case), ``pages`` measures each page in process, ``load`` runs gunicorn and a bounded load,
``targets`` compares the figures with issue 15's targets and ``table`` prints them.
"""
