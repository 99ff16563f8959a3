#!/usr/bin/env node
import "../dist/glacier-emulator.js";
