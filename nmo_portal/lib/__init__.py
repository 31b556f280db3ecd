"""What every app shares. Depends on no app of the project."""
