# Reference solution for the detect-and-respond lab, steps 1 and 2: read the database's JSON
# log, find the outsider's first connection and what it read, and write it down. (The
# solution's api/app.js then publishes security.txt.)
# The outsider is whoever connected from neither the database host itself (127.0.0.1) nor
# your own shell (198.51.100.23).
log=logs/mongod.log
first=$(grep '"Connection accepted"' "$log" | grep -v -e '"remote":"127\.0\.0\.1:' -e '"remote":"198\.51\.100\.23:' | head -n 1)
started=$(printf '%s\n' "$first" | sed -n 's/.*"t":{"\$date":"\([^"]*\)"}.*/\1/p')
address=$(printf '%s\n' "$first" | sed -n 's/.*"remote":"\([0-9.]*\):[0-9]*".*/\1/p')
outsider="\"remote\":\"$address:"
read=$(grep "$outsider" "$log" | grep '"Slow query"' | grep -E '"command":\{"(find|getMore)"' | sed -n 's/.*"ns":"\(cloudpets\.[A-Za-z]*\)".*/\1/p' | sort -u | paste -sd, -)
printf 'started: %s\naddress: %s\nread: %s\n' "$started" "$address" "$read" > findings.txt
cat findings.txt
