"""The pure scoring core of tunemate: numpy arrays in, arrays out, no I/O."""
