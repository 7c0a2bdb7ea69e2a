# Reference solution for the recon lab: what a learner types in the lab shell.
# Run by `npm run checks -- recon --solution` in a fresh lab folder, against the real world.
scan cloudpets.test
# Look closer at the database host and keep its banner.
scan db.cloudpets.test | tee scan-db.txt
version=$(sed -n 's/^|[_ ]  *version: *//p' scan-db.txt | head -n 1)
port=$(sed -n 's#^\([0-9][0-9]*\)/tcp  *open  *mongodb.*#\1#p' scan-db.txt | head -n 1)
printf 'host: db.cloudpets.test\nport: %s\nversion: %s\n' "$port" "$version" > findings.txt
cat findings.txt
