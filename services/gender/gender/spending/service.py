"""Recording money spent on Project 8, and reversing an entry recorded by mistake: the kit's
spending (mtqg_shared.kit.spending) with the activity the money went to."""

from __future__ import annotations

from gender.spending.repository import book

present = book.present
present_row = book.present_row
read = book.read
record = book.record
page = book.page
