# Reference solution for the lock-database lab, steps 1 and 2: create the users while the
# server still lets you in (the solution files then turn on authorization and bindIp).
mongosh mongodb://db.cloudpets.test:27017/admin --quiet --eval 'db.createUser({ user: "admin", pwd: "admin-Long-Passphrase-2017", roles: [{ role: "root", db: "admin" }] })'
mongosh mongodb://db.cloudpets.test:27017/admin --quiet --eval 'db.createUser({ user: "cloudpets-app", pwd: "app-Pa55phrase-2017", roles: [{ role: "readWrite", db: "cloudpets" }] })'
