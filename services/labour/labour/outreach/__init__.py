"""Outreach events: sessions held in communes, with participants and registered interest."""
