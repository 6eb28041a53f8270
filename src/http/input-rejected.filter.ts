import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { InputRejected } from './input-errors.js';

/**
 * The answer for an input refused at the edge on routes no transport filter covers (discovery documents,
 * JWKS, metrics): JSON in the RFC 6749 §5.2 shape those clients already read, with the edge error's status.
 * Routes with their own filter render it themselves; this global one only catches what they leave.
 */
@Catch(InputRejected)
export class InputRejectedFilter implements ExceptionFilter {
  catch(exception: InputRejected, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(exception.status).json({ error: exception.code, error_description: exception.message });
  }
}
