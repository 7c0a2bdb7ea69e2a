# Reference solution for the detect-and-respond lab, step 1 and 2: read the database's JSON
# log, find the outsider's first connection and what it read, and write it down. (The
# solution's api/app.js then publishes security.txt.)
log=logs/mongod.log
outsider='"remote":"198.51.100.23:'
first=$(grep "$outsider" "$log" | grep '"Connection accepted"' | head -n 1)
started=$(printf '%s\n' "$first" | sed -n 's/.*"t":{"\$date":"\([^"]*\)"}.*/\1/p')
address=$(printf '%s\n' "$first" | sed -n 's/.*"remote":"\([0-9.]*\):[0-9]*".*/\1/p')
read=$(grep "$outsider" "$log" | grep '"Slow query"' | grep -E '"command":\{"(find|getMore)"' | sed -n 's/.*"ns":"\(cloudpets\.[A-Za-z]*\)".*/\1/p' | sort -u | paste -sd, -)
printf 'started: %s\naddress: %s\nread: %s\n' "$started" "$address" "$read" > findings.txt
cat findings.txt
