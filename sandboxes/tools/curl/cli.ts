#!/usr/bin/env node
import { runAsProgram } from '../shared/tool-io.ts';
import { curlMain } from './curl.ts';

runAsProgram(curlMain);
