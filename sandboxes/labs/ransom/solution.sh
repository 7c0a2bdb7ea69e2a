# Reference solution for the ransom lab: the raid, the restore, the clean-up (the solution's
# mongod.conf then closes the door: bindIp 127.0.0.1). The note's database has another name in
# every learner's world: read it from the list of databases.
ransom-bot db.cloudpets.test
note=$(mongosh mongodb://db.cloudpets.test:27017 --quiet --eval 'db.adminCommand({ listDatabases: 1 }).databases.map((d) => d.name).filter((n) => !["admin", "config", "local", "cloudpets"].includes(n)).join(" ")' | tail -n 1)
echo "ransom note database: $note"
mongosh mongodb://db.cloudpets.test:27017 --quiet --file backup/restore.js
mongosh mongodb://db.cloudpets.test:27017 --quiet --eval "db.getSiblingDB('$note').dropDatabase()"
cat backup/manifest.json
