// Event types of employees: hiring, lifecycle and the containers they work in.
import { z } from 'zod';

export const workforceEvents = {
  EmployeeHired: z.object({ employeeId: z.string(), name: z.string(), provider: z.string(), model: z.string(), skills: z.array(z.string()), workspaceId: z.string().optional() }),
  EmployeeSuspended: z.object({ employeeId: z.string(), reason: z.string() }),
  EmployeeOnProbation: z.object({ employeeId: z.string(), reason: z.string() }),
  EmployeeReinstated: z.object({ employeeId: z.string(), reason: z.string() }),
  EmployeeTerminated: z.object({ employeeId: z.string(), reason: z.string() }),
} as const;
