"""Settings: the declared vars, their rules, and the values derived from them."""
