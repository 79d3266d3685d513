# vitistack-rs: the targets users of the Go original know, plus the Rust ones.
#
#   make manifests     generate crds/ and schemas/ (same as `make generate`)
#   make test          the whole test suite, against a real API server it starts itself
#   make help          this list

CARGO ?= cargo
CODEGEN = $(CARGO) run --quiet --locked -p vitistack-codegen --

conversion-demo: ## Against $$KUBECONFIG: example conversion webhook, two-version CRD, a Widget written in v1alpha1 read in both versions
	$(CARGO) run --quiet --locked -p vitistack-e2e --example conversion_demo

quickstart: ## Against $$KUBECONFIG: install CRDs, create/read/status/watch/delete one object per kind
	$(CARGO) run --quiet --locked -p vitistack-types --features client --example quickstart

.PHONY: publish-check conversion-demo quickstart help generate manifests sanitize-crds verify-crds install-crds uninstall-crds helm-lint tools test lint fmt bench bench-compare apiserver apiserver-stop fuzz-smoke

help: ## Show the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

generate: ## Generate crds/ and schemas/ from the Rust types
	$(CODEGEN) generate

manifests: generate ## Same as generate (controller-gen's name)

sanitize-crds: ## Rewrite crds/*.yaml so integer formats are int32/int64 with bounds (idempotent)
	$(CODEGEN) sanitize --in-place crds/*.yaml

# The CRDs of the last release: the newest v* tag reachable from HEAD, else the committed
# compat-baseline/ (no release yet). Override: make verify-crds COMPAT_BASE=git:v0.2.0
COMPAT_BASE ?= $(shell tag=$$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null) && echo "git:$$tag" || echo compat-baseline)

verify-crds: ## Fail on drift of crds/ or schemas/, non-structural CRDs, or changes that break the last release's CRDs
	$(CODEGEN) verify
	$(CODEGEN) compat $(COMPAT_BASE) crds

install-crds: ## Server-side apply every CRD to $$KUBECONFIG and wait until Established
	$(CARGO) run --quiet --locked -p vitistack-types --features client --example install_crds

uninstall-crds: ## Delete every vitistack CRD from $$KUBECONFIG, and with them every vitistack.io object
	$(CARGO) run --quiet --locked -p vitistack-types --features client --example uninstall_crds

tools: ## Build helm and kustomize from their Go modules into target/bin (needs Go)
	bash scripts/build-tools.sh

helm-lint: tools ## helm lint --strict charts/vitistack-crds (with the helm of `make tools`)
	target/bin/helm lint --strict charts/vitistack-crds

test: ## All tests (builds and starts a real kube-apiserver + etcd; needs Go 1.26+)
	bash tests/run-tests.sh

lint: ## rustfmt check + clippy -D warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

fmt: ## Format the code
	$(CARGO) fmt --all

bench: ## Criterion benchmarks
	$(CARGO) bench --locked --workspace

bench-compare: ## Rust vs Go (apimachinery converter, apiserver validators, kubeconform, kubectl-validate) side by side; see BENCHMARKS.md
	bash bench/compare.sh

# vitistack-core depends on k8s-openapi without a version feature (a library must not pick one),
# so its verify build, alone, is given the version the workspace's tests use (`latest`, 1.37)
# through the environment.
# The dry run verifies each crate against the packaged (registry-like) copies of the others, and
# cargo treats a registry crate of an unchanged version as unchanged: it neither re-extracts its
# source (under $CARGO_HOME/registry/src/-<hash>/, the dirs of local registries) nor rebuilds it,
# so an earlier run's vitistack-derive 0.1.0 would be verified against. Hence a target dir of its
# own, emptied first, and our crates' extracted copies removed.
publish-check: ## cargo publish --dry-run of the six published crates (in dependency order)
	rm -rf target/publish-check "$${CARGO_HOME:-$$HOME/.cargo}"/registry/src/-*/vitistack-*
	K8S_OPENAPI_ENABLED_VERSION=1.37 CARGO_TARGET_DIR=target/publish-check $(CARGO) publish --dry-run --locked --workspace --exclude vitistack-e2e --exclude vitistack-core-only

FUZZ_SECONDS ?= 60
FUZZ_TOOLCHAIN ?= nightly
FUZZ_TARGETS = decode_json decode_yaml validate unstructured quantity formats sanitize yaml_stream check_text lint_crd fast_yaml validate_update bridge cel

fuzz-smoke: ## Run every fuzz target for $$FUZZ_SECONDS s (default 60; nightly + cargo-fuzz, installed if missing)
	@command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install --locked cargo-fuzz
	@rustup run $(FUZZ_TOOLCHAIN) rustc --version >/dev/null 2>&1 || { echo "fuzz-smoke: needs the $(FUZZ_TOOLCHAIN) toolchain (rustup toolchain install $(FUZZ_TOOLCHAIN))" >&2; exit 2; }
	nice -n 10 $(CARGO) +$(FUZZ_TOOLCHAIN) fuzz build --fuzz-dir fuzz
	@failed=""; for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/corpus/$$t; \
	  echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; \
	  case $$t in \
	    decode_json|validate|unstructured) seeds="fuzz/seeds/json";; \
	    decode_yaml|check_text) seeds="examples";; \
	    yaml_stream|fast_yaml) seeds="examples crds";; \
	    sanitize|lint_crd) seeds="crds fuzz/seeds/crd";; \
	    bridge) seeds="fuzz/seeds/bridge schemas/vitistack.io";; \
	    *) seeds="fuzz/seeds/$$t";; \
	  esac; \
	  nice -n 10 $(CARGO) +$(FUZZ_TOOLCHAIN) fuzz run --fuzz-dir fuzz $$t fuzz/corpus/$$t $$seeds -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    > fuzz/corpus/$$t.log 2>&1 \
	    && grep -E '^(stat::number_of_executed_units|Done)' fuzz/corpus/$$t.log | tr '\n' ' ' && echo \
	    || { tail -n 40 fuzz/corpus/$$t.log; failed="$$failed $$t"; }; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz-smoke: crashes in:$$failed (inputs in fuzz/artifacts/)" >&2; exit 1; fi; \
	echo "fuzz-smoke: $(words $(FUZZ_TARGETS)) targets clean"

apiserver: ## Start a local API server under .apiserver/ and print the KUBECONFIG line
	@bash tests/apiserver/start.sh .apiserver >/dev/null
	@echo "API server running (stop it with: make apiserver-stop). Use it with:"
	@echo "export KUBECONFIG=$(CURDIR)/.apiserver/kubeconfig"

apiserver-stop: ## Stop the server started by make apiserver
	@bash tests/apiserver/stop.sh .apiserver
