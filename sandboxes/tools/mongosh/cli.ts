#!/usr/bin/env node
import { runAsProgram } from '../shared/tool-io.ts';
import { mongoshMain } from './mongosh.ts';

runAsProgram(mongoshMain);
