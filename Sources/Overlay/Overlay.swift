// Overlay module.
