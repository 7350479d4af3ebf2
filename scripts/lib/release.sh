# Shared by scripts/install, scripts/package and scripts/bench: the release build users get and
# the files that ship with it. Source it after common.sh.

# The release flags: the Swift standard library linked in (no Swift runtime needed where it is
# installed), and no $ORIGIN search path (nothing is loaded from beside the binary).
# Symbols are bound at start and the relocation table is read-only after it (full RELRO).
RELEASE_FLAGS=(-c release --static-swift-stdlib --disable-local-rpath -Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now)

# build_release — builds extruct-shell and extruct-sim with RELEASE_FLAGS; sets RELEASE_BIN.
build_release() {
  require_swift
  require_packages libedit-dev pkg-config
  say "building a release with a static Swift standard library (a few minutes the first time) …"
  build "${RELEASE_FLAGS[@]}" --product extruct-shell
  build "${RELEASE_FLAGS[@]}" --product extruct-sim
  RELEASE_BIN="$(swift build "${RELEASE_FLAGS[@]}" --show-bin-path)"
}

# stage_release ROOT ZSH_DIR — lays out under ROOT what ships: bin/ (stripped binaries),
# share/man/man1/ (gzipped pages made by the binaries themselves), and completions for bash,
# zsh (in ZSH_DIR, relative to ROOT) and fish.
stage_release() {
  local root="$1" zsh_dir="$2" program
  mkdir -p "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
    "$root/$zsh_dir" "$root/share/fish/vendor_completions.d"
  for program in extruct-shell extruct-sim; do
    install -m 0755 "$RELEASE_BIN/$program" "$root/bin/$program"
    strip --remove-section=.comment --remove-section=.note "$root/bin/$program"
    "$root/bin/$program" --generate-manual roff | gzip -9n >"$root/share/man/man1/$program.1.gz"
    # A completion is sourced, not run: no #! line.
    "$root/bin/$program" --generate-completion-script bash | sed '1{/^#!/d}' >"$root/share/bash-completion/completions/$program"
    "$root/bin/$program" --generate-completion-script zsh >"$root/$zsh_dir/_$program"
    "$root/bin/$program" --generate-completion-script fish >"$root/share/fish/vendor_completions.d/$program.fish"
  done
  chmod 0644 "$root"/share/man/man1/* "$root"/share/bash-completion/completions/* "$root/$zsh_dir"/* \
    "$root"/share/fish/vendor_completions.d/*
}

# release_version — the version of the built release, from the binary itself.
release_version() { "$RELEASE_BIN/extruct-shell" --version; }
