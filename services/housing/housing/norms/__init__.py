"""Support norms by beneficiary group and support type, with validity dates."""
