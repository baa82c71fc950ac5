// ImageCodecs module.
