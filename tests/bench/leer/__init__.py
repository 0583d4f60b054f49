"""A bare Django project for `make bench` to compare with: one view under Django's default
middleware (as `django-admin startproject` sets it up), served by gunicorn like the portal."""
