// Attention module.
