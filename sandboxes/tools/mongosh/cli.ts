#!/usr/bin/env node
import { runAsProgram } from '../program/tool-io.ts';
import { mongoshMain } from './mongosh.ts';

runAsProgram(mongoshMain);
