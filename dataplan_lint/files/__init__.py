"""Reading and writing files: plan loading, plan discovery, git access, atomic writes."""
