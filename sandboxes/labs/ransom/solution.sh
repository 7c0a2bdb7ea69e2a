# Reference solution for the ransom lab: the raid, the restore, the clean-up (the solution's
# mongod.conf then closes the door: bindIp 127.0.0.1).
ransom-bot db.cloudpets.test
mongosh mongodb://db.cloudpets.test:27017 --quiet --eval 'db.adminCommand({ listDatabases: 1 }).databases.forEach((d) => print(d.name))'
mongosh mongodb://db.cloudpets.test:27017 --quiet --file backup/restore.js
mongosh mongodb://db.cloudpets.test:27017 --quiet --eval 'db.getSiblingDB("README_MISSING_DATABASES").dropDatabase()'
cat backup/manifest.json
