#!/usr/bin/env node
import { runAsProgram } from '../shared/tool-io.ts';
import { scanMain } from './scan.ts';

runAsProgram(scanMain);
