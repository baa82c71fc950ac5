# vis: the two quick-start commands are `make demo` and `make test`.
# Both first install the Debian packages a fresh machine lacks (tools/ensure-deps.sh).

SWIFT ?= swift
CONFIG ?= release
SAMPLE ?= samples/astronaut.png

.PHONY: deps build demo test fixtures clean

deps:
	@bash tools/ensure-deps.sh

build: deps
	$(SWIFT) build -c $(CONFIG) --product vis

demo: build
	@mkdir -p outputs
	$(SWIFT) run -c $(CONFIG) vis export $(SAMPLE) -o outputs/astronaut.safetensors --overwrite
	@echo "demo: wrote outputs/astronaut.safetensors"

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build
