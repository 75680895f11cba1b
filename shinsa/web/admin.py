"""Django admin is where configuration lives; it carries Shinsa's name so nobody mistakes the tab."""

from django.contrib import admin

admin.site.site_header = "Shinsa 審査 admin"
admin.site.site_title = "Shinsa 審査 admin"
