"""Putting a commune's yearly labour figures: created the first time, replaced after (the
kit's `YearlyProfiles`)."""

from __future__ import annotations

from labour.profiles.repository import book

present = book.present
present_row = book.present_row
read = book.read
put = book.put
page = book.page
location = book.location
