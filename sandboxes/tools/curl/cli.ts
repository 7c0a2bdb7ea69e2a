#!/usr/bin/env node
import { runAsProgram } from '../program/tool-io.ts';
import { curlMain } from './curl.ts';

runAsProgram(curlMain);
