import { PRUNE_METHODS, PRUNE_METHOD_NAMES } from '../../domain/methods.js';
import { TASKS, TASK_NAMES } from '../../domain/tasks.js';
import type { Handler } from '../context.js';

export const listMethods: Handler<'methods.list'> = async () => ({
  methods: PRUNE_METHOD_NAMES.map((name) => ({ name, ...PRUNE_METHODS[name] })),
});

export const listTasks: Handler<'tasks.list'> = async () => ({
  tasks: TASK_NAMES.map((name) => ({ name, ...TASKS[name] })),
});
