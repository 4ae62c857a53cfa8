# Sourced by the benchmark scripts that need PostgreSQL (cluster.sh, pgcost.sh, schedules.sh): the embedded
# PostgreSQL the tests use (store's test class path), started on the first call, one fresh database per call.
#   needs: $root (the repository), $tmp (a scratch folder the caller removes)
#   optional: $pg_options (TestPostgres's, e.g. --statements), $pg_prefix (e.g. "taskset -c 1")
#   sets: url (the new database's JDBC URL), pg_pid (the caller's cleanup kills it)
# Call it in the script's own shell, not in $(...): it keeps the server and its input (fd 3) open.
pg_pid=${pg_pid:-} pg_urls=0
new_pg_database() {
  if [ -z "$pg_pid" ]; then
    (cd "$root" && mvn -q -B -pl store -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$tmp/store.cp" >/dev/null)
    mkfifo "$tmp/pg.in"
    # shellcheck disable=SC2086 # the prefix and options are words
    ${pg_prefix:-} java -cp "$root/store/target/test-classes:$(cat "$tmp/store.cp")" dev.weft.store.testing.TestPostgres \
      ${pg_options:-} <"$tmp/pg.in" >"$tmp/pg.out" 2>"$tmp/pg.err" & pg_pid=$!
    exec 3>"$tmp/pg.in"
  fi
  echo new >&3
  pg_urls=$((pg_urls + 1))
  until [ "$(wc -l <"$tmp/pg.out")" -ge "$pg_urls" ]; do
    kill -0 "$pg_pid" 2>/dev/null || { cat "$tmp/pg.err" >&2; exit 1; }
    sleep 0.2
  done
  url=$(sed -n "${pg_urls}p" "$tmp/pg.out")
}
