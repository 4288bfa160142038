"""Plain torch nn.Modules, free of Lightning."""
