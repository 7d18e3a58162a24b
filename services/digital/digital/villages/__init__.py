"""Smart villages (thôn thông minh): building the model, then recognised by decision."""
