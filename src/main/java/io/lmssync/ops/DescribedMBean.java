package io.lmssync.ops;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;

/**
 * A standard MBean that tells JMX clients (jconsole, Hawtio) what its interface's {@link ManagedAttribute} and
 * {@link ManagedOperation} descriptions say, and its operations' parameter names (compiled with -parameters).
 */
class DescribedMBean<T> extends StandardMBean {

    DescribedMBean(T implementation, Class<T> mbeanInterface) throws NotCompliantMBeanException {
        super(implementation, mbeanInterface);
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        return getter(info).map(m -> m.getAnnotation(ManagedAttribute.class)).map(ManagedAttribute::description)
                .orElse(super.getDescription(info));
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        return method(info).map(m -> m.getAnnotation(ManagedOperation.class)).map(ManagedOperation::description)
                .orElse(super.getDescription(info));
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return method(op).map(m -> m.getParameters()[sequence].getName()).orElse(super.getParameterName(op, param,
                sequence));
    }

    private Optional<Method> getter(MBeanAttributeInfo info) {
        String prefix = info.isIs() ? "is" : "get";
        return Arrays.stream(getMBeanInterface().getMethods())
                .filter(m -> m.getName().equals(prefix + info.getName()) && m.getParameterCount() == 0).findFirst();
    }

    private Optional<Method> method(MBeanOperationInfo info) {
        String[] types = Arrays.stream(info.getSignature()).map(MBeanParameterInfo::getType).toArray(String[]::new);
        return Arrays.stream(getMBeanInterface().getMethods()).filter(m -> m.getName().equals(info.getName())
                        && Arrays.equals(Arrays.stream(m.getParameterTypes()).map(Class::getName).toArray(), types))
                .findFirst();
    }
}
