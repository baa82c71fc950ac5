# vis: the two quick-start commands are `make demo` and `make test`.
# Both first install the Debian packages a fresh machine lacks (tools/ensure-deps.sh).

SWIFT ?= swift
empty :=
space := $(empty) $(empty)
CONFIG ?= release
SAMPLE ?= samples/astronaut.png

.PHONY: deps build demo examples bench test test-cluster fuzz fuzz-smoke fixtures clean

deps:
	@bash tools/ensure-deps.sh

build: deps
	$(SWIFT) build -c $(CONFIG) --product vis

VIS = $$($(SWIFT) build -c $(CONFIG) --show-bin-path)/vis
MODES = axial self coord glimpse patch all
# The photographs (samples/digits/ is for the trained models).
PHOTOS = $(wildcard samples/*.png samples/*.jpg)

# Renders every mode for every sample into outputs/, then writes the gallery page.
demo: build
	@mkdir -p outputs
	@for mode in $(MODES); do \
	  echo "vis $(PHOTOS) --mode $$mode --out outputs"; \
	  $(VIS) $(PHOTOS) --mode $$mode --out outputs --overwrite --percentile 1,99 || exit $$?; \
	done
	@echo "vis samples/digits --model models/vit-mnist --mode cls|rollout|mask, --layer all (trained ViT on MNIST digits)"
	@for mode in cls rollout mask; do \
	  $(VIS) samples/digits --mode $$mode --model models/vit-mnist --out outputs/digits --overwrite --quiet || exit $$?; \
	done
	$(VIS) samples/digits/mnist_0000_7.png --mode cls --layer all --model models/vit-mnist --out outputs/digits/layers --overwrite --quiet
	$(VIS) samples/digits --mode glimpse --model models/ram-mnist/model.safetensors --out outputs/digits/ram --overwrite --quiet
	$(VIS) view outputs
	@echo "demo: overlays in outputs/, gallery in outputs/index.html (vis view outputs --serve to browse)"

# Small overlays committed under outputs/examples/ for the README.
examples: build
	@mkdir -p outputs/examples
	@for mode in $(MODES); do \
	  $(VIS) samples/chelsea.png samples/coffee.png --mode $$mode --out outputs/examples --max-size 360 \
	    --overwrite --quiet --percentile 1,99 || exit $$?; \
	done

# Forward passes against PyTorch eager and the machine's sgemm, then end to end against the
# Python pipeline, then whole ViT-S/16 and ViT-B/16 against timm on 1 and 2 threads with
# vis's peak memory, a folder through ViT-S/16 cls against a DINO-style loop, and peak memory
# per mode on a 24-MP JPEG (BENCHMARKS.md). THREADS=1 make bench for one thread in the first two.
bench: deps
	tools/bench_forward.sh 20
	tools/bench_end_to_end.sh
	tools/bench_vit.sh
	tools/bench_vit_folder.sh
	tools/bench_memory.sh
	$${VENV:-/work/venv}/bin/python tools/bench_ram.py --vis $(VIS)

# The suites that serve HTTP on 127.0.0.1 run after the rest, one suite per process: their
# servers (FlyingFox) run on Swift concurrency's pool, one thread per core, and requests to one
# suite's servers timed out while other suites' tests held that pool.
SERVER_SUITES = GalleryServerTests GalleryChromiumTests ExplorerServerTests ExplorerNetworkTests GalleryExplorerMountTests ExploreBrowserTests
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip "$(subst $(space),|,$(SERVER_SUITES))"
	@set -e; for suite in $(SERVER_SUITES); do $(SWIFT) test --skip-build --filter "$$suite"; done

# A real Slurm array over a folder (tools/test_cluster.sh): installs slurm-wlm and munge when
# missing, starts the daemons on 127.0.0.1, checks shards and a cancelled task's resume.
test-cluster: build
	bash tools/test_cluster.sh $(VIS)

# libFuzzer harnesses (fuzz/README.md): FUZZ_SECONDS per harness, two at a time, niced.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= png jpeg exif safetensors gallerypath
fuzz:
	fuzz/build.sh $(FUZZ_TARGETS)
	@set -e; set -- $(FUZZ_TARGETS); while [ $$# -gt 0 ]; do \
	  fuzz/run.sh $$1 $(FUZZ_SECONDS) & \
	  if [ $$# -gt 1 ]; then fuzz/run.sh $$2 $(FUZZ_SECONDS) & shift; fi; \
	  shift; wait; \
	done
	@! ls fuzz/.artifacts/*/crash-* fuzz/.artifacts/*/oom-* fuzz/.artifacts/*/timeout-* 2>/dev/null

# A short run of every harness (CI smoke test).
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=30

clean:
	rm -rf .build fuzz/.build
