#!/usr/bin/env node
import "../dist/glacier.js";
