#!/usr/bin/env node
import { runAsProgram } from '../program/tool-io.ts';
import { dbhostMain } from './dbhost.ts';

runAsProgram(dbhostMain);
